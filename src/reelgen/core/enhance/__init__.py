"""Output enhancers: frame interpolation and upscaling."""
