"""The pure library: types, backends, media I/O and render()."""
