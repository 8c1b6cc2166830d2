"""The demo station: a believable small station made by the project's own code, in its
own database, for a newcomer to look around before connecting Plex."""
