"""timemodel"""
