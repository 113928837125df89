"""untact.simulator"""
