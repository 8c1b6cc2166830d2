"""plex layer."""
