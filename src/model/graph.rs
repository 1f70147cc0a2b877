//! Cycles in dependency graphs (resources, conditions).

/// Tarjan's strongly connected components, iteratively (linear in nodes and edges,
/// whatever the depth): the components that hold a cycle — more than one member, or
/// one member with an edge to itself — each sorted, in order of their first member.
/// `adjacency[i]` lists the nodes `i` has an edge to.
pub fn cycles(adjacency: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = adjacency.len();
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
        // (node, position in its adjacency list)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut position)) = work.last_mut() {
            if let Some(&to) = adjacency[node].get(*position) {
                *position += 1;
                if to >= n {
                    continue;
                }
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
                let self_loop = component.len() == 1 && adjacency[node].contains(&node);
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
    use super::cycles;

    #[test]
    fn finds_each_cycle_once_and_self_loops() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 → 0 (not in a cycle), 5 alone.
        let adjacency = vec![vec![1], vec![2], vec![0], vec![3], vec![0], vec![]];
        assert_eq!(cycles(&adjacency), vec![vec![0, 1, 2], vec![3]]);
    }

    #[test]
    fn a_long_chain_does_not_recurse() {
        let n = 200_000;
        let mut adjacency: Vec<Vec<usize>> = (0..n).map(|i| vec![i + 1]).collect();
        adjacency[n - 1] = vec![0];
        let found = cycles(&adjacency);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n);
    }
}
