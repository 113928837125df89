"""untact.accessibility"""
