"""The simulator window's proportions, shared by the command line, the driver and the
panel without any of them importing another (or Kivy) for two numbers."""

DEFAULT_SCALE = 0.5  # the simulator window is half the kiosk's pixels, same millimetres
PANEL_WIDTH = 420  # the control panel beside the kiosk (simulator/panel.py), in pixels
