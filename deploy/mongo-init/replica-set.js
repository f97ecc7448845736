// Container healthcheck for the `mongodb` service (run with `mongosh --quiet --file`).
//
// SIGAP needs a replica set for multi-document transactions and change streams. On the first
// run this initiates the single-node replica set `rs0`; on every run it succeeds only once this
// node is the writable primary, so services that wait for `service_healthy` never see
// "not primary" errors. Idempotent: safe to run every few seconds, and concurrently.
//
// The member host must be the compose service name: clients connect with
// mongodb://mongodb:27017/?replicaSet=rs0 and then use the host named here.
const REPLICA_SET = {
  _id: 'rs0',
  members: [{ _id: 0, host: 'mongodb:27017' }],
};

try {
  rs.status();
} catch (e) {
  if (e.codeName !== 'NotYetInitialized') throw e;
  try {
    rs.initiate(REPLICA_SET);
  } catch (initError) {
    // A concurrent healthcheck may have initiated it between the two calls.
    if (initError.codeName !== 'AlreadyInitialized') throw initError;
  }
}

if (!db.hello().isWritablePrimary) {
  print('replica set rs0 has no writable primary yet');
  quit(1);
}
