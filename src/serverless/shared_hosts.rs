//! Services on the same compute hosts. Each service keeps its own account
//! of its nodes' RAM, disk and slots (as WRENCH's serverless services do,
//! which `examples/wrench/image_download_simulation.sls` reproduces), while
//! their bodies share the hosts' cores and links: two services on one node
//! may hold more memory than it has. Allowed, for that parity, but said.

use crate::ir::Model;

/// The warning for the services of `model` sharing compute hosts, if any:
/// each pair once, with its first shared host and how many it shares.
pub fn shared_hosts_warning(model: &Model) -> Option<String> {
    let mut first_service = std::collections::HashMap::new();
    // (earlier service, later service) -> (first shared host, hosts shared).
    let mut pairs: indexmap::IndexMap<(usize, usize), (usize, usize)> = indexmap::IndexMap::new();
    for (s, service) in model.services.iter().enumerate() {
        for host in &service.compute {
            match first_service.get(&host.0) {
                Some(&other) if other != s => {
                    pairs.entry((other, s)).or_insert((host.0 as usize, 0)).1 += 1;
                }
                Some(_) => {}
                None => {
                    first_service.insert(host.0, s);
                }
            }
        }
    }
    if pairs.is_empty() {
        return None;
    }
    let name = |s: usize| &model.services[s].name;
    let shared: Vec<String> = pairs
        .iter()
        .map(|(&(a, b), &(host, count))| {
            let host = &model.platform.hosts[host].name;
            let hosts = match count {
                1 => format!("`{host}`"),
                n => format!("`{host}` and {} more hosts", n - 1),
            };
            format!("`{}` and `{}` share {hosts}", name(a), name(b))
        })
        .collect();
    Some(format!(
        "services on the same compute hosts: {}; each counts a node's RAM, disk and slots as its own (as WRENCH's services do), so together they may hold more than the node has; give each service its own hosts for one account",
        crate::syntax::words::list_all(&shared)
    ))
}
