"""What both HTTP faces (``api`` and ``web``) share, so neither imports the other: input fields
that hold only storable text, and the export query and download."""
