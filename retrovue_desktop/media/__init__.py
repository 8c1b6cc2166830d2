"""Files on disk: path mapping from Plex's paths to this machine's, probing with MediaInfo,
validation of every file a library lists, and local-folder libraries. No Qt: everything
here runs the same from a QThread worker, the command line and the tests."""
