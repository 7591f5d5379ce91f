// Replaced as the profile module is written.
