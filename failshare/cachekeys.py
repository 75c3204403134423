"""Keys of the shared cache, as keyed hashes.

Some keys are made from what a visitor sends: allauth's rate limits name the client's address,
or an unkeyed hash of the email address typed. Kept as an HMAC of the whole key (keyed with
SECRET_KEY), none of that can be read back out of the cache, whether it lives in Redis or in
the database. Set as the shared cache's ``KEY_FUNCTION``.
"""

from django.utils.crypto import salted_hmac


def keyed_hash(key: str, key_prefix: str, version: int) -> str:
    digest = salted_hmac("failshare.cache-key", key, algorithm="sha256").hexdigest()
    return f"{key_prefix}:{version}:{digest}"
