"""What the graph says as a whole: case threads, centrality, standing cases."""
