"""Speech for talking avatars: voice tracks read and checked, text spoken with Piper, Whisper audio features."""
