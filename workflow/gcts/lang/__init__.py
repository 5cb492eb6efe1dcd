"""Language profiles: everything that differs between the languages of the resolutions."""
