"""The merchant's domain: menu, cart, orders, checkout, payment, staff call, export and
staff access. No Kivy and no devices: screens, voice and the staff tools all use it."""
