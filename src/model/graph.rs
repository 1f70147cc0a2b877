//! Cycles in dependency graphs (resources, conditions).

/// A directed graph on the nodes `0..n`, each node's successors side by side in one
/// table: two allocations whatever the number of nodes (a list per node was most of
/// CFN-003's memory on a template of 16,000 resources, and CFN-003 ran at the peak).
pub struct Graph {
    /// `targets[starts[i]..starts[i + 1]]` are the nodes `i` has an edge to.
    starts: Vec<u32>,
    targets: Vec<u32>,
}

impl Graph {
    /// The graph of `edges` (`(from, to)` pairs, in any order; a repeated pair is kept
    /// twice, and a pair naming a node past `n` is left out).
    pub fn new(n: usize, edges: impl Iterator<Item = (usize, usize)> + Clone) -> Graph {
        let edges = edges.filter(move |&(from, to)| from < n && to < n);
        let mut starts = vec![0u32; n + 1];
        for (from, _) in edges.clone() {
            starts[from + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut filled = starts.clone();
        let mut targets = vec![0u32; starts[n] as usize];
        for (from, to) in edges {
            targets[filled[from] as usize] = to as u32;
            filled[from] += 1;
        }
        Graph { starts, targets }
    }

    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    fn successors(&self, node: usize) -> &[u32] {
        &self.targets[self.starts[node] as usize..self.starts[node + 1] as usize]
    }
}

/// Tarjan's strongly connected components, iteratively (linear in nodes and edges,
/// whatever the depth): the components that hold a cycle — more than one member, or
/// one member with an edge to itself — each sorted, in order of their first member.
pub fn cycles(graph: &Graph) -> Vec<Vec<usize>> {
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, position in its successors)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut position)) = work.last_mut() {
            if let Some(&to) = graph.successors(node).get(*position) {
                let to = to as usize;
                *position += 1;
                if index[to] == usize::MAX {
                    index[to] = next;
                    low[to] = next;
                    next += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    work.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                let self_loop =
                    component.len() == 1 && graph.successors(node).contains(&(node as u32));
                if component.len() > 1 || self_loop {
                    component.sort_unstable();
                    out.push(component);
                }
            }
        }
    }
    out.sort_unstable_by_key(|c| c.first().copied());
    out
}

#[cfg(test)]
mod tests {
    use super::{cycles, Graph};

    #[test]
    fn finds_each_cycle_once_and_self_loops() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 → 0 (not in a cycle), 5 alone; 1 → 9 names no node.
        let edges = [(2, 0), (0, 1), (1, 2), (3, 3), (4, 0), (1, 9)];
        let graph = Graph::new(6, edges.iter().copied());
        assert_eq!(graph.successors(1), [2]);
        assert_eq!(cycles(&graph), vec![vec![0, 1, 2], vec![3]]);
    }

    #[test]
    fn a_long_chain_does_not_recurse() {
        let n = 200_000;
        let graph = Graph::new(n, (0..n).map(|i| (i, (i + 1) % n)));
        let found = cycles(&graph);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n);
    }
}
