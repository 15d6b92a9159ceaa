"""zine"""
