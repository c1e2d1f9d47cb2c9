"""Emergency response (C12–C15): resources, road network, incidents and dispatch, coverage, plans and drills."""
