//! SQS queues, as several rules read them.

use super::template::{Resource, Template};

/// Whether an `AWS::SQS::Queue` is FIFO: `Some(true)` / `Some(false)` when the template
/// decides, `None` when it does not (properties or `FifoQueue` not resolvable).
///
/// `FifoQueue` alone decides: "If you don't specify the FifoQueue property, Amazon SQS
/// creates a standard queue" (AWS::SQS::Queue reference). A `QueueName` ending in
/// `.fifo` does not make a queue FIFO; without `FifoQueue: true` its creation fails.
pub fn queue_is_fifo(template: &Template, queue: &Resource) -> Option<bool> {
    if !queue.properties_are_literal() {
        return None;
    }
    match queue.own_prop("FifoQueue") {
        None => Some(false),
        Some(node) => template.boolean(node),
    }
}
