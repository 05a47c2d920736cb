"""Faces for talking avatars: found (OpenCV's bundled detector), followed through a clip, cropped and blended back."""
