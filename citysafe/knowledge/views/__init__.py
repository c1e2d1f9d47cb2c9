"""Pages of the knowledge base: public reading and search (public.py), the Q&A channel
(questions.py), and the administrators' import page (manage.py)."""
