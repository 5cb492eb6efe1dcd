"""What each paragraph says: its verbs and their strength, its Strategy pillar."""
