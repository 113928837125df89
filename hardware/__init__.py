"""untact.hardware"""
