"""Scrapy spiders (``SPIDER_MODULES``): ``portal`` crawls the portal or any host serving its CMS."""
