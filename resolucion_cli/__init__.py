"""resolucion: the Resolution Center of a freelance marketplace, on a local SQLite file."""
