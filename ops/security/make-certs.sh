#!/usr/bin/env bash
# Generates everything the secure profile needs into ops/security/build/ (or the directory given as
# the first argument), with the JDK's keytool only:
#   ca/        a private certificate authority (ca.p12 holds its key: never mounted, never committed)
#   broker/    mounted at /etc/kafka/secrets in the broker: keystore (SAN localhost, kafka, 127.0.0.1),
#              truststore, their password files, the broker's JAAS file, the SCRAM users to create,
#              admin.properties for tools run inside the broker container
#   clients/PRINCIPAL/  client.properties (SASL_SSL, SCRAM-SHA-512, truststore at
#              /etc/compliance/security/truststore.p12) + truststore.p12: what a container of that
#              principal mounts at /etc/compliance/security (docker-compose.secure.yml)
#   host/      PRINCIPAL.properties with this machine's paths, for clients on the host
# Passwords are random. Idempotent: an existing, complete directory is kept (FORCE=1 regenerates).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-${here}/build}
san=${BROKER_SAN:-dns:localhost,dns:kafka,ip:127.0.0.1}
principals=(admin compliance-app secops analytics producer)
container_dir=/etc/compliance/security
validity_days=825

log() { printf '[make-certs] %s\n' "$*"; }
fail() { printf '[make-certs] ERROR: %s\n' "$*" >&2; exit 1; }

if [ -f "${out}/.complete" ] && [ "${FORCE:-0}" != 1 ]; then
  log "${out} exists (FORCE=1 regenerates)"
  exit 0
fi
keytool=$(command -v keytool || true)
[ -n "${JAVA_HOME:-}" ] && [ -x "${JAVA_HOME}/bin/keytool" ] && keytool=${JAVA_HOME}/bin/keytool
[ -n "${keytool}" ] || fail "keytool not found: install a JDK or set JAVA_HOME"

# 32 random hex characters (portable: no base64 -w, no openssl needed)
random_secret() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# keytool, quietly (its output is shown when it fails); a quick-starting JVM
kt() {
  local output
  output=$("${keytool}" -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC "$@" 2>&1) || fail "keytool $1 failed: ${output}"
}

rm -rf "${out}"
mkdir -p "${out}/ca" "${out}/broker" "${out}/clients" "${out}/host"
out=$(cd "${out}" && pwd)
umask 022

log "certificate authority"
ca_pass=$(random_secret)
kt -genkeypair -alias ca -dname "CN=compliance-local-ca,O=compliance-pipeline" -keyalg RSA -keysize 2048 \
  -validity "${validity_days}" -ext bc:c -keystore "${out}/ca/ca.p12" -storetype PKCS12 -storepass "${ca_pass}"
kt -exportcert -rfc -alias ca -keystore "${out}/ca/ca.p12" -storepass "${ca_pass}" -file "${out}/ca/ca.crt"
echo "${ca_pass}" > "${out}/ca/ca_creds"

log "broker keystore (SAN ${san})"
ks=${out}/broker/broker.keystore.p12
ks_pass=$(random_secret)
kt -genkeypair -alias broker -dname "CN=kafka,O=compliance-pipeline" -keyalg RSA -keysize 2048 \
  -validity "${validity_days}" -keystore "${ks}" -storetype PKCS12 -storepass "${ks_pass}"
kt -certreq -alias broker -keystore "${ks}" -storepass "${ks_pass}" -file "${out}/ca/broker.csr"
kt -gencert -alias ca -keystore "${out}/ca/ca.p12" -storepass "${ca_pass}" -infile "${out}/ca/broker.csr" \
  -outfile "${out}/ca/broker.crt" -rfc -validity "${validity_days}" \
  -ext "SAN=${san}" -ext "KU=digitalSignature,keyEncipherment" -ext "EKU=serverAuth,clientAuth"
kt -importcert -noprompt -alias ca -file "${out}/ca/ca.crt" -keystore "${ks}" -storepass "${ks_pass}"
kt -importcert -noprompt -alias broker -file "${out}/ca/broker.crt" -keystore "${ks}" -storepass "${ks_pass}"
echo "${ks_pass}" > "${out}/broker/keystore_creds"
echo "${ks_pass}" > "${out}/broker/key_creds"   # PKCS12: the key has the store's password

log "truststore (the CA certificate)"
ts_pass=$(random_secret)
kt -importcert -noprompt -alias ca -file "${out}/ca/ca.crt" -keystore "${out}/broker/truststore.p12" \
  -storetype PKCS12 -storepass "${ts_pass}"
echo "${ts_pass}" > "${out}/broker/truststore_creds"
cp "${out}/broker/truststore.p12" "${out}/host/truststore.p12"

log "SCRAM users: ${principals[*]}"
: > "${out}/broker/scram-users.properties"
for p in "${principals[@]}"; do
  echo "${p}=$(random_secret)" >> "${out}/broker/scram-users.properties"
done
# (no associative arrays: macOS still ships bash 3.2)
password_of() { grep "^$1=" "${out}/broker/scram-users.properties" | cut -d= -f2; }
admin_password=$(password_of admin)

# The broker's own logins: SCRAM as admin on the inter-broker listener (BROKER), PLAIN on the controller
# listener (SCRAM cannot authenticate controller connections in KRaft: its credentials live in the
# metadata the controller serves), and the server side of SCRAM on the client listeners.
cat > "${out}/broker/broker_jaas.conf" <<JAAS
controller.KafkaServer {
  org.apache.kafka.common.security.plain.PlainLoginModule required
  username="admin" password="${admin_password}" user_admin="${admin_password}";
};
broker.KafkaServer {
  org.apache.kafka.common.security.scram.ScramLoginModule required
  username="admin" password="${admin_password}";
};
KafkaServer {
  org.apache.kafka.common.security.scram.ScramLoginModule required;
};
JAAS

client_properties() { # principal truststore-path
  cat <<PROPS
# Kafka client settings of the principal User:$1 (generated by ops/security/make-certs.sh)
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$1" password="$(password_of "$1")";
ssl.truststore.type=PKCS12
ssl.truststore.location=$2
ssl.truststore.password=${ts_pass}
PROPS
}
pseudonym_secret=$(random_secret)
for p in "${principals[@]}"; do
  mkdir -p "${out}/clients/${p}"
  cp "${out}/broker/truststore.p12" "${out}/clients/${p}/truststore.p12"
  client_properties "$p" "${container_dir}/truststore.p12" > "${out}/clients/${p}/client.properties"
  client_properties "$p" "${out}/host/truststore.p12" > "${out}/host/${p}.properties"
done
for file in "${out}/clients/compliance-app/client.properties" "${out}/host/compliance-app.properties"; do
  printf '# key of the user-id pseudonyms on analytics topics (HMAC-SHA256)\ncompliance.pseudonym.secret=%s\n' \
    "${pseudonym_secret}" >> "${file}"
done
client_properties admin /etc/kafka/secrets/truststore.p12 > "${out}/broker/admin.properties"

# Containers run as other users (kafka: 1000, app: 1001) and read these through bind mounts.
find "${out}/broker" "${out}/clients" "${out}/host" -type d -exec chmod 0755 {} +
find "${out}/broker" "${out}/clients" "${out}/host" -type f -exec chmod 0644 {} +
chmod 0700 "${out}/ca"
touch "${out}/.complete"
log "done: ${out}"
