"""untact.ui"""
