// Replaced as the report module is written.
