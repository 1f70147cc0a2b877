//! Lambda functions across `AWS::Lambda::Function` and `AWS::Serverless::Function`:
//! shared lookups for the LAM rules (timeouts with SAM `Globals` and defaults, event
//! sources, destinations).
