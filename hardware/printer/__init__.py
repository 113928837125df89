"""Receipts and kitchen tickets on an ESC/POS printer, through a durable print queue.

``config`` reads ``[printer]``; ``escpos_render`` turns a :class:`~untact.shop.tickets.Ticket`
into ESC/POS bytes (python-escpos; Hangul as raster images); ``transports`` opens the
network, serial or USB printer; ``queue`` keeps the jobs in the orders database, written
in the order's own transaction; ``service`` prints them from a worker thread and reports
the printer's health.
"""
