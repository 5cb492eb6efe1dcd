"""From a decoded text to its paragraphs: layout of the lines, cleaning, segmentation."""
