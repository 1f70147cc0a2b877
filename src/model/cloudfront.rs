//! CloudFront distributions, shared by the CFR rules.

use crate::document::Node;

use super::{Resource, Template};

/// Every distribution that writes a `DistributionConfig.ViewerCertificate`, with it
/// (as written: it may be an intrinsic function).
pub fn viewer_certificates<'t, 'a>(
    template: &'t Template<'a>,
) -> impl Iterator<Item = (&'t Resource<'a>, &'a Node)> + 't {
    template
        .resources_of_type("AWS::CloudFront::Distribution")
        .filter_map(|distribution| {
            let certificate =
                distribution.prop_path(&["DistributionConfig", "ViewerCertificate"])?;
            Some((distribution, certificate))
        })
}
