"""The firm's delivery data: people, skills, clients, projects and what happens on them."""
