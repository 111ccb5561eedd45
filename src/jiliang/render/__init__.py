"""Human-readable copies of certificates (HTML and PDF): not part of the pure core, since
they use reportlab and qrcode, but free of files and Django: certificate in, bytes/str out."""
