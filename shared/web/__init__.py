"""What every service's web pages share: the layout, the stylesheet, vendored scripts (no CDN:
clinics may be offline from the internet), the language switch and CSRF protection."""
