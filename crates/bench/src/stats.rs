//! Latency percentiles.

use std::time::Duration;

#[derive(Default)]
pub struct Latencies(Vec<Duration>);

impl Latencies {
    pub fn record(&mut self, d: Duration) {
        self.0.push(d);
    }

    pub fn merge(&mut self, other: Latencies) {
        self.0.extend(other.0);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    fn percentile(sorted: &[Duration], p: f64) -> Duration {
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
        sorted[rank.min(sorted.len() - 1)]
    }

    pub fn summary(&self) -> String {
        let mut sorted = self.0.clone();
        sorted.sort_unstable();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} requests)",
            ms(Self::percentile(&sorted, 50.0)),
            ms(Self::percentile(&sorted, 99.0)),
            ms(sorted.last().copied().unwrap_or_default()),
            sorted.len()
        )
    }
}
