"""The customer's ordering flow, attract screen to order number."""
