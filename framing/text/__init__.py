"""Text primitives shared by the measures: sentences, quotation spans, words.

Every function returns character offsets into the text it was given, so the
measures can point back at the words that produced a number.
"""
