#!/bin/sh
# Run by the nginx image before nginx starts (/docker-entrypoint.d/). The route table stays the
# one of deploy/nginx.conf (mounted at /etc/sigap/nginx.conf); this adds TLS to its public server:
# 443 with the certificate from secrets, plain HTTP redirected to HTTPS, and an AMQPS listener
# (5671) in front of the RabbitMQ cluster for the clinics' edge nodes.
set -eu
src="${SIGAP_NGINX_SOURCE:-/etc/sigap/nginx.conf}"
dest="${SIGAP_NGINX_CONFIG:-/etc/nginx/nginx.conf}"
secrets="${SIGAP_TLS_DIR:-/run/secrets}"

awk -v secrets="$secrets" '
  /listen 80 default_server;/ && !done {
    print
    print "        listen 443 ssl default_server;"
    print "        http2 on;"
    print "        ssl_certificate " secrets "/tls_certificate;"
    print "        ssl_certificate_key " secrets "/tls_private_key;"
    print "        ssl_protocols TLSv1.2 TLSv1.3;"
    print "        ssl_session_cache shared:sigap_tls:10m;"
    # A server-level add_header hides the http-level ones: repeat the request id.
    print "        add_header Strict-Transport-Security \"max-age=31536000\" always;"
    print "        add_header X-Request-ID $sigap_request_id always;"
    print "        if ($scheme = http) { return 301 https://$host$request_uri; }"
    done = 1
    next
  }
  { print }
' "$src" > "$dest"

grep -q "listen 443 ssl" "$dest" || { echo "40-sigap-tls: no public server in $src" >&2; exit 1; }

cat >> "$dest" <<STREAM

# AMQPS for clinic edge nodes: TLS ends here, the cluster is reached through its DNS alias.
stream {
    resolver 127.0.0.11 valid=10s ipv6=off;
    server {
        listen 5671 ssl;
        ssl_certificate $secrets/tls_certificate;
        ssl_certificate_key $secrets/tls_private_key;
        ssl_protocols TLSv1.2 TLSv1.3;
        set \$sigap_amqp rabbitmq:5672;
        proxy_pass \$sigap_amqp;
        proxy_timeout 10m;
    }
}
STREAM
