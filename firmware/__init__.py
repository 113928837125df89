"""untact.firmware"""
