"""gcts: the UN Global Counter-Terrorism Strategy reviews, paragraph by paragraph."""
