-- wrk script: every request submits one public complaint (the body of the public form).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"clinic": "MDRJ1", "kind": "keluhan", "text": "Antrian di pendaftaran lama sekali, sudah dua jam belum dipanggil"}'
