# Supporter profiles, matches, encouragement and contact notes arrive with the
# peers issue; the app is installed now so the dependency order is fixed from the
# start (recovery <- goals <- peers).
