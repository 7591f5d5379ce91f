// Replaced as the stats module is written.
