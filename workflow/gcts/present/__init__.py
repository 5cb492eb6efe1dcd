"""For the reader: figure data, figures, fonts, the HTML report."""
