// Run by healthcheck.sh on mongo-1. Idempotent: initiates rs0 once, then only reports.
const REPLICA_SET = {
  _id: 'rs0',
  members: [
    { _id: 0, host: 'mongo-1:27017', priority: 2 },
    { _id: 1, host: 'mongo-2:27017', priority: 1 },
    { _id: 2, host: 'mongo-3:27017', priority: 1 },
  ],
};

try {
  rs.status();
} catch (e) {
  if (e.codeName !== 'NotYetInitialized') throw e;
  try {
    rs.initiate(REPLICA_SET);
  } catch (initError) {
    if (initError.codeName !== 'AlreadyInitialized') throw initError;
  }
}

const primary = rs.status().members.some((m) => m.stateStr === 'PRIMARY');
if (!primary) {
  print('replica set rs0 has no primary yet');
  quit(1);
}
