"""A push service of our own on 127.0.0.1, doing what a real one must: it checks the VAPID
signature (RFC 8292) against the server's public key and decrypts the payload (RFC 8291) with
the keys only the subscribed browser holds. Used by tests/test_reminders_push.py and the
browser test of reminders."""

import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from rewire.reminders import push
from rewire.reminders.models import PushSubscription


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """A local push service: POST /ok/<n> checks and decrypts, POST /gone/<n> says 410."""

    def __init__(self):
        self.received = []  # (path, claims, payload)
        self.refused = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.path.startswith("/gone/"):
                    self.send_response(410)
                    self.end_headers()
                    return
                try:
                    claims = service.check_vapid(self.headers["Authorization"])
                    payload = service.decrypt(self.path, body, self.headers)
                except Exception as error:  # noqa: BLE001 - the sender sees a refusal
                    service.refused.append((self.path, repr(error)))
                    self.send_response(401)
                    self.end_headers()
                    return
                service.received.append((self.path, claims, payload))
                self.send_response(201)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.browsers = {}  # path: (private key, auth secret)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def subscribe(self, user, path: str) -> PushSubscription:
        """What a browser does: its own key pair and auth secret, kept on the device."""
        private = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        self.browsers[path] = (private, auth)
        public = private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return PushSubscription.objects.create(
            user=user, endpoint=self.origin + path, p256dh=b64url(public), auth=b64url(auth)
        )

    def check_vapid(self, header: str) -> dict:
        scheme, _, rest = header.partition(" ")
        assert scheme == "vapid", header
        parts = dict(part.strip().split("=", 1) for part in rest.split(","))
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
        assert parts["k"] == push.application_server_key()  # the server's own key
        signed, _, signature = parts["t"].rpartition(".")
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        key.verify(der, signed.encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
        header_part, claims_part = signed.split(".")
        assert json.loads(unb64url(header_part))["alg"] == "ES256"
        claims = json.loads(unb64url(claims_part))
        assert claims["aud"] == self.origin and claims["exp"] > time.time()
        assert claims["sub"].startswith("mailto:")
        return claims

    def decrypt(self, path: str, body: bytes, headers) -> dict:
        assert headers["Content-Encoding"] == "aes128gcm"
        private, auth = self.browsers[path]
        return json.loads(
            http_ece.decrypt(body, private_key=private, auth_secret=auth, version="aes128gcm")
        )

    def stop(self):
        self.server.shutdown()
