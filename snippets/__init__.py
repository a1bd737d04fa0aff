"""Tested numpy code for the pages of the guide; pages include it by named section."""
