"""Reading an output folder for people: key figures (``figures``), terminal tables
(``tables``, ``dvscraper stats``) and the HTML report with plots (``html_report``)."""
