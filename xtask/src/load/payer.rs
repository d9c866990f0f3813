//! A payer: one thread paying small random amounts to the run's payees until the time is
//! up, one time in ten sending the same payment twice (a double tap, a retry), noting every
//! answer and how long it took.

use super::{
    book::Answer,
    client::{Client, SignedIn},
    setup::People,
};
use shared::{
    ledger::TransferId,
    wallet::{PayRequest, PayeeCategory},
    Tenge,
};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What one payer sent and was answered, in order, and how long each answer took.
#[derive(Debug, Default)]
pub struct Record {
    pub answers: Vec<(PayRequest, Answer)>,
    pub latencies: Vec<Duration>,
}

/// Pays until `end`; see the module documentation.
pub fn pay_until(
    client: &Client,
    who: &SignedIn,
    people: &People,
    stream: u64,
    end: Instant,
) -> Record {
    let mut rng = Rng::seeded(stream);
    let mut record = Record::default();
    while Instant::now() < end {
        let (payee_id, category) = if rng.below(2) == 0 {
            (people.rent, PayeeCategory::Rent)
        } else {
            (people.utilities, PayeeCategory::Utilities)
        };
        let request = PayRequest {
            id: rng.transfer_id(),
            payee_id,
            category,
            // 1 to 500 tenge, to the tiyn.
            amount: Tenge::from_tiyn(100 + rng.below(49_901) as i64),
        };
        let times = if rng.below(10) == 0 { 2 } else { 1 };
        for _ in 0..times {
            let (answer, latency) = send(client, who, &request);
            if let Some(latency) = latency {
                record.latencies.push(latency);
            } else {
                // The server is down: give it a moment rather than a storm of refusals.
                std::thread::sleep(Duration::from_millis(50));
            }
            record.answers.push((request.clone(), answer));
        }
    }
    record
}

/// Sends one payment: the answer, and how long it took when there was one.
pub fn send(client: &Client, who: &SignedIn, request: &PayRequest) -> (Answer, Option<Duration>) {
    let started = Instant::now();
    match client.post("/wallet/payments", Some(who), request) {
        Err(_) => (Answer::Unanswered, None),
        Ok(reply) => {
            let answer = match reply.status {
                201 => Answer::Created,
                200 => Answer::Replayed,
                status if status >= 500 => Answer::ServerError(status),
                status => Answer::Refused(
                    reply
                        .error_code()
                        .unwrap_or_else(|| format!("HTTP {status}")),
                ),
            };
            (answer, Some(started.elapsed()))
        }
    }
}

/// SplitMix64: ids and amounts that differ between threads and runs; not for secrets.
pub struct Rng(u64);

impl Rng {
    /// A generator of its own for each `stream`, seeded from the clock.
    pub fn seeded(stream: u64) -> Rng {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or_default();
        Rng(nanos ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform enough below `n` for a load test.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A fresh 128-bit id (never zero, which is not an id).
    pub fn transfer_id(&mut self) -> TransferId {
        loop {
            let value = (u128::from(self.next()) << 64) | u128::from(self.next());
            if let Some(id) = TransferId::new(value) {
                return id;
            }
        }
    }
}
