"""Scrapy spiders: thin callbacks that fetch, then hand bytes to the framework-free parsers."""
